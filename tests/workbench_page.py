"""Driving the workbench's editor in a browser test (a plain helper module on the test path)."""

from __future__ import annotations


def type_query(page, text: str) -> None:
    """Replace the editor's text with ``text``."""
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")  # close the completion list, if it opened


def editor_text(page) -> str:
    return "\n".join(page.locator(".cm-line").all_text_contents())
