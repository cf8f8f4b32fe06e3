"""The spaCy attribute ruler's matches, found without running its Matcher over every token.

Consumes the `attribute_ruler` component of a loaded English pipeline; `speed_up` replaces
its `match` method (nothing else) with one that returns the very same list: (rule index,
rule key, start, end) for every rule that matches, sorted as spaCy sorts them, so that the
ruler's own `set_annotations` sets the same tags, lemmas and morphology.

Why: the ruler holds about 180 rules, almost all of one token (a tag, a lower-case form, a
dependency label), and spaCy's Matcher walks all of them over every token: a quarter of the
whole parse's time with `en_core_web_sm`. Whether a one-token rule matches depends only on
that token's (TAG, LOWER, DEP, IS_SPACE), so the rules that match each such key are worked
out once and kept; the few rules of several tokens still go through a Matcher of their own,
run only on a doc with a token that can open one of them ("gon", "let", an expletive, ...).
A ruler with a rule this module cannot read (another attribute or operator) is left as it is.
"""
from __future__ import annotations

import re

KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
MAX_KEYS = 200_000  # distinct token keys kept; the table starts again past this (memory stays flat)


class Unreadable(ValueError):
    """A rule uses an attribute or operator this module does not evaluate."""


class Equal:
    def __init__(self, value):
        self.value = value

    def __call__(self, v) -> bool:
        return v == self.value


class In:
    def __init__(self, values, inside: bool = True):
        self.values, self.inside = frozenset(values), inside

    def __call__(self, v) -> bool:
        return (v in self.values) == self.inside


class Search:
    def __init__(self, pattern: str):
        self.pattern = re.compile(pattern)

    def __call__(self, v) -> bool:
        return bool(self.pattern.search(v))


def _predicate(value):
    """A test of one attribute's value, as spaCy's Matcher reads the pattern's value (classes,
    not lambdas: the pipeline must still pickle)."""
    if isinstance(value, dict):
        if len(value) != 1:
            raise Unreadable(value)
        (operator, argument), = value.items()
        if operator in ("IN", "NOT_IN"):
            return In(argument, inside=operator == "IN")
        if operator == "REGEX":
            return Search(argument)
        raise Unreadable(value)
    if isinstance(value, (str, bool)):
        return Equal(value)
    raise Unreadable(value)


class TokenRule:
    """Whether a one-token pattern matches a token key (tag, lower, dep, is_space)."""

    def __init__(self, token_pattern: dict):
        self.tests = []
        for attr, value in token_pattern.items():
            if attr not in KEY_ATTRS:
                raise Unreadable(attr)
            self.tests.append((KEY_ATTRS.index(attr), _predicate(value)))

    def __call__(self, key: tuple) -> bool:
        return all(test(key[position]) for position, test in self.tests)


class AttributeMatches:
    """The ruler's `match`: one-token rules from a table by token key, the others by a Matcher."""

    def __init__(self, ruler):
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.matcher import Matcher

        self.strings = ruler.vocab.strings
        self.columns = [TAG, LOWER, DEP, IS_SPACE]
        # (rule index, rule key, test) of the one-token rules: filed under the tag or lower-case form
        # they require (most do), so that a new token key is tested against a few rules, not all
        self.filed: dict[tuple[int, str], list] = {}
        self.unfiled: list = []
        self.matcher = Matcher(ruler.vocab)
        self.openers = []  # tests of the first token of the rules of several tokens
        for index, group in enumerate(ruler.patterns):
            key = self.strings.add(str(index))  # the key the ruler gave rule `index`
            longer = [pattern for pattern in group["patterns"] if len(pattern) != 1]
            for pattern in group["patterns"]:
                if len(pattern) == 1:
                    self._file((index, key, TokenRule(pattern[0])), pattern[0])
            if longer:
                self.matcher.add(key, longer)
                self.openers.extend(TokenRule(pattern[0]) for pattern in longer)
        self.table: dict[tuple, tuple] = {}

    def _file(self, rule: tuple, token_pattern: dict) -> None:
        for position, attr in ((0, "TAG"), (1, "LOWER")):
            if isinstance(token_pattern.get(attr), str):
                self.filed.setdefault((position, token_pattern[attr]), []).append(rule)
                return
        self.unfiled.append(rule)

    def _entry(self, ids: tuple) -> tuple[tuple, bool]:
        """(the one-token rules matching a token key, whether the key can open a longer rule)."""
        entry = self.table.get(ids)
        if entry is None:
            if len(self.table) >= MAX_KEYS:
                self.table.clear()
            tag, lower, dep, is_space = ids
            key = (self.strings[tag], self.strings[lower], self.strings[dep], bool(is_space))
            candidates = self.unfiled + self.filed.get((0, key[0]), []) + self.filed.get((1, key[1]), [])
            rules = tuple(dict.fromkeys((index, rule_key) for index, rule_key, test in candidates if test(key)))
            entry = self.table[ids] = (rules, any(test(key) for test in self.openers))
        return entry

    def __call__(self, doc) -> list[tuple[int, int, int, int]]:
        matches = set()
        opened = False
        for i, ids in enumerate(doc.to_array(self.columns).tolist()):
            rules, opens = self._entry(tuple(ids))
            opened = opened or opens
            for index, key in rules:
                matches.add((index, key, i, i + 1))
        if opened:  # no token opens a longer rule: the Matcher would find none of them
            matches.update((int(self.strings[key]), key, start, end)
                           for key, start, end in self.matcher(doc, allow_missing=True, as_spans=False))
        return sorted(matches)


def speed_up(ruler) -> None:
    """Give `ruler` the table-driven `match` (same matches); a ruler it cannot read is left alone."""
    try:
        ruler.match = AttributeMatches(ruler)
    except Unreadable:
        pass
