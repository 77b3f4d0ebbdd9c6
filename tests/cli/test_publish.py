"""``jichitai-kg publish-site`` (cli/publish.py): a partial site from the command line."""

from __future__ import annotations


def test_publish_site_sample(cli, tmp_path):
    target = tmp_path / "site"
    code, out, err = cli("publish-site", str(target), "--service", "https://kg.example.org", "--sample", "1",
                         "--include", "gov/kamakura", "--site", "https://static.example.org")
    assert code == 0, err
    assert out.startswith("published 3") and "left out (--sample)" in out
    assert (target / "id" / "gov" / "kamakura.en.html").read_text(encoding="utf-8").count("Kamakura City") >= 1
    assert "https://kg.example.org/sparql" in (target / "sparql.ttl").read_text(encoding="utf-8")
    assert "RewriteRule ^(.*)$ https://static.example.org/$1 [R=303,L]" in (target / "w3id" / ".htaccess").read_text()
    code, _, err = cli("publish-site", str(tmp_path), "--service", "https://kg.example.org")
    assert code == 2 and "not empty" in err


def test_service_is_required(cli):
    import pytest

    with pytest.raises(SystemExit) as info:
        cli("publish-site", "/tmp/nowhere-site")
    assert info.value.code == 2
