// Interface strings of the workbench scripts, in the page's language (<html lang>).
const TEXT = {
  ja: {
    rows: "件", ms: "ミリ秒", running: "実行中…", yes: "はい", no: "いいえ",
    filter: "絞り込み", prev: "前へ", next: "次へ", page: "ページ",
    table: "表", bar: "棒グラフ", heatmap: "ヒートマップ", timeline: "年表", raw: "テキスト",
    triples: "トリプル", subject: "主語", predicate: "述語", object: "目的語",
    noChart: "この結果はこの表示に向いていません（必要な列がありません）。",
    history: "履歴", historyEmpty: "（履歴なし）", error: "エラー", line: "行", column: "列",
    cite: "この結果を引用", version: "データセットの版", retrieved: "取得日時",
    digest: "結果の SHA-256", unavailable: "（このブラウザでは計算できません）",
    permalink: "この結果へのリンク", copied: "コピーしました",
    label: "ラベル", value: "値", start: "開始", end: "終了",
  },
  en: {
    rows: "rows", ms: "ms", running: "Running…", yes: "yes", no: "no",
    filter: "Filter", prev: "Previous", next: "Next", page: "page",
    table: "Table", bar: "Bar chart", heatmap: "Heatmap", timeline: "Timeline", raw: "Text",
    triples: "triples", subject: "Subject", predicate: "Predicate", object: "Object",
    noChart: "This result does not fit this view (it lacks the columns it needs).",
    history: "History", historyEmpty: "(no history yet)", error: "Error", line: "line", column: "column",
    cite: "Cite this result", version: "Dataset version", retrieved: "Retrieved",
    digest: "SHA-256 of the result", unavailable: "(this browser cannot compute it)",
    permalink: "Link to this result", copied: "Copied",
    label: "Label", value: "Value", start: "Start", end: "End",
  },
};

export const lang = document.documentElement.lang === "en" ? "en" : "ja";
export const t = TEXT[lang];
