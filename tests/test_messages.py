"""Every message about a problem lives in pipeline/messages.py, with what it means and what to
do, and README's "When something goes wrong" tables are generated from it: the two are held
equal here (a message in one and not the other fails), and no module says a warning or a
user-facing error in words of its own."""
from __future__ import annotations

import ast
import re

import pytest

from pipeline.messages import GROUPS, MESSAGES, readme_tables, say
from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
# exceptions whose text reaches a user (a FAILED line, an `error:` line or a reference's note)
USER_FACING = {"IngestError", "UndecodableInput", "ReviewsUnreadable", "RunLocked", "CrossrefUnavailable",
               "ModelMissing", "BudgetSpent", "ArgumentTypeError"}
# (an AnswerRefused or MalformedAnswer says which bound or field, inside the catalogue's "answer_refused" and
# "answer_unfit" notes)


def _readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- messages: generated", 1)[1].split("-->", 1)[1]
    return block.split("<!-- messages: end -->", 1)[0].strip() + "\n"


def test_the_readme_lists_exactly_the_messages_of_the_code():
    assert _readme_block() == readme_tables(), "README is stale: paste `python -m pipeline.messages` into it"


def test_every_message_has_a_group_a_meaning_and_a_fix():
    for key, message in MESSAGES.items():
        assert message.group in GROUPS and message.means and message.fix, key


def _literal_words(node) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) + _literal_words(node.right)
    return ""


def test_no_module_says_a_problem_in_words_outside_the_catalogue():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "messages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            is_log = isinstance(node.func, ast.Attribute) and name in ("warning", "error") and \
                getattr(node.func.value, "id", "") == "log"
            if is_log or name in USER_FACING:
                if any(re.search(r"[a-z]{3,} [a-z]{3,}", _literal_words(a)) for a in node.args):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not wrong, "say() a catalogue message instead: " + ", ".join(wrong)


def test_every_catalogued_message_is_said_somewhere():
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "messages.py")
    unused = [key for key in MESSAGES if f'"{key}"' not in code and f"'{key}'" not in code]
    assert not unused, f"messages no code says: {unused}"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_message_fills_in(key):
    fields = re.findall(r"\{(\w+)[^{}]*\}", MESSAGES[key].text)
    values = {name: 1.5 if name in ("size", "limit", "waited", "wait", "cap", "seconds") else "x" for name in fields}
    assert "{" not in say(key, **values)
