"""Write data/time.ttl: fiscal years (年度, 1 April – 31 March), calendar years and months.

Usage: python tools/gen_time.py [OUTPUT]   (default: data/time.ttl next to this folder)

The file is committed; tests/tools/test_gen_time.py regenerates it and compares, so an edit by
hand that the generator would not make fails the suite.
"""

from __future__ import annotations

import calendar
import sys
from pathlib import Path

FIRST_FISCAL_YEAR, LAST_YEAR = 2003, 2025
FIRST_MONTH_YEAR = 2004
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

HEADER = f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> .
@prefix t: <https://w3id.org/jichitai-kg/id/time/> .

# Time references: Japanese fiscal years (年度, 1 April - 31 March), calendar years and
# calendar months, each with start and end dates so that a question about FY2018 and one
# about "during 2018" can both be answered with date comparisons.
# Generated for FY{FIRST_FISCAL_YEAR}-FY{LAST_YEAR}, {FIRST_MONTH_YEAR}-{LAST_YEAR} and the months of {FIRST_MONTH_YEAR}-{LAST_YEAR}.
"""


def _dates(start: str, end: str) -> str:
    return f'    jkg:startDate "{start}"^^xsd:date ; jkg:endDate "{end}"^^xsd:date .\n'


def fiscal_year(y: int) -> str:
    return (f"t:fy{y} a jkg:FiscalYear ;\n"
            f'    rdfs:label "{y}年度"@ja , "FY{y}"@en ;\n'
            f"    jkg:fiscalYearNumber {y} ;\n" + _dates(f"{y}-04-01", f"{y + 1}-03-31"))


def calendar_year(y: int) -> str:
    return (f"t:{y} a jkg:CalendarPeriod ;\n"
            f'    rdfs:label "{y}年"@ja , "{y}"@en ;\n'
            f'    dcterms:date "{y}"^^xsd:gYear ;\n' + _dates(f"{y}-01-01", f"{y}-12-31"))


def month(y: int, m: int) -> str:
    fiscal = y if m >= 4 else y - 1  # 年度 starts in April
    last = calendar.monthrange(y, m)[1]
    return (f"t:{y}-{m:02d} a jkg:CalendarPeriod ;\n"
            f'    rdfs:label "{y}年{m}月"@ja , "{MONTHS_EN[m - 1]} {y}"@en ;\n'
            f'    dcterms:date "{y}-{m:02d}"^^xsd:gYearMonth ;\n'
            f"    time:intervalDuring t:{y} , t:fy{fiscal} ;\n"
            + _dates(f"{y}-{m:02d}-01", f"{y}-{m:02d}-{last:02d}"))


def generate() -> str:
    blocks = []
    for y in range(FIRST_FISCAL_YEAR, LAST_YEAR + 1):
        blocks += [fiscal_year(y), calendar_year(y)]
    blocks += [month(y, m) for y in range(FIRST_MONTH_YEAR, LAST_YEAR + 1) for m in range(1, 13)]
    return HEADER + "".join("\n" + b for b in blocks)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "data" / "time.ttl"
    out.write_text(generate(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
