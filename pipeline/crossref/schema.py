"""The shapes of the Crossref REST API answers this pipeline reads, checked in one place.

Consumes a decoded JSON answer (or an item kept in the cache); produces the `message` of a `work`
answer, or the items of a `work-list` answer (at most the rows asked), as plain dicts whose fields
have the documented types and whose text is cut to a length bound. Anything else raises
`MalformedAnswer` naming the first field that does not fit: `message: null`, a top-level list,
`subject: 7`, `date-parts [[1e400]]`, `score: "high"`. Fields this pipeline does not read are
dropped (they cost memory in the cache and are never looked at); unknown fields never fail.

The types follow the REST API's documentation of the work record (api.crossref.org/swagger-ui):
DOI, type, volume, issue, page, publisher, article-number are strings; title, container-title,
short-container-title and subject are lists of strings; author a list of objects with string
given/family/name; issued and the published dates an object whose date-parts is a list of lists of
integers (a part may be null: Crossref writes [[null]] for an unknown date); score a number;
updated-by and update-to lists of objects; relation an object of lists of objects.
"""
from __future__ import annotations

import math

LATEST_YEAR = 9999


class MalformedAnswer(ValueError):
    """A Crossref answer that does not have the API's shape; the message names the field."""


def _text(value, where: str, chars: int) -> str:
    if not isinstance(value, str):
        raise MalformedAnswer(f"{where} is {_kind(value)}, expected a string")
    return value[:chars]


def _kind(value) -> str:
    return "null" if value is None else type(value).__name__


def _texts(value, where: str, chars: int, most: int) -> list[str]:
    if not isinstance(value, list):
        raise MalformedAnswer(f"{where} is {_kind(value)}, expected a list of strings")
    return [_text(v, f"{where}[{i}]", chars) for i, v in enumerate(value[:most])]


def _objects(value, where: str, most: int) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value[:most]):
        raise MalformedAnswer(f"{where} is {_kind(value)}, expected a list of objects")
    return value[:most]


def _date(value, where: str) -> dict:
    if not isinstance(value, dict) or not isinstance(value.get("date-parts"), list):
        raise MalformedAnswer(f"{where} is {_kind(value)}, expected an object with date-parts")
    parts = []
    for row in value["date-parts"][:4]:
        if not isinstance(row, list):
            raise MalformedAnswer(f"{where}.date-parts holds {_kind(row)}, expected lists of integers")
        for part in row[:3]:
            if part is not None and (isinstance(part, bool) or not isinstance(part, (int, float))
                                     or not math.isfinite(part) or not 0 <= part <= LATEST_YEAR
                                     or int(part) != part):
                raise MalformedAnswer(f"{where}.date-parts holds {str(part)[:20]}, expected an integer "
                                      f"from 0 to {LATEST_YEAR}")
        parts.append([None if p is None else int(p) for p in row[:3]])
    return {"date-parts": parts}


def _authors(value, chars: int, most: int) -> list[dict]:
    authors = []
    for i, author in enumerate(_objects(value, "author", most)):
        kept = {}
        for key in ("given", "family", "name"):
            if author.get(key) is not None:
                kept[key] = _text(author[key], f"author[{i}].{key}", chars)
        authors.append(kept)
    return authors


def _updates(value, where: str, chars: int, most: int) -> list[dict]:
    updates = []
    for i, update in enumerate(_objects(value, where, most)):
        updates.append({key: _text(update[key], f"{where}[{i}].{key}", chars)
                        for key in ("type", "DOI", "id") if update.get(key) is not None})
    return updates


def _relation(value, chars: int, most: int) -> dict:
    if not isinstance(value, dict):
        raise MalformedAnswer(f"relation is {_kind(value)}, expected an object")
    return {str(kind)[:chars]: _updates(targets, f"relation.{kind}", chars, most)
            for kind, targets in list(value.items())[:most]}


TEXT_FIELDS = ("DOI", "type", "volume", "issue", "page", "publisher", "article-number", "abstract")
TEXT_LISTS = ("title", "container-title", "short-container-title", "subject")
DATES = ("issued", "published-print", "published-online", "published")


def work_item(item, chars: int = 300, most: int = 100) -> dict:
    """One work record in the API's shape, cut to `chars` per text and `most` per list; or MalformedAnswer."""
    if not isinstance(item, dict):
        raise MalformedAnswer(f"a work is {_kind(item)}, expected an object")
    work: dict = {}
    for key in TEXT_FIELDS:
        if item.get(key) is not None:
            work[key] = _text(item[key], key, chars if key != "abstract" else chars * 10)
    for key in TEXT_LISTS:
        if item.get(key) is not None:
            work[key] = _texts(item[key], key, chars, most)
    for key in DATES:
        if item.get(key) is not None:
            work[key] = _date(item[key], key)
    if item.get("author") is not None:
        work["author"] = _authors(item["author"], chars, most)
    for key in ("updated-by", "update-to"):
        if item.get(key) is not None:
            work[key] = _updates(item[key], key, chars, most)
    if item.get("relation") is not None:
        work["relation"] = _relation(item["relation"], chars, most)
    score = item.get("score")
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
            raise MalformedAnswer(f"score is {_kind(score)} {str(score)[:20]}, expected a number")
        work["score"] = float(score)
    return work


def _message(answer, message_type: str):
    if not isinstance(answer, dict):
        raise MalformedAnswer(f"the answer is {_kind(answer)}, expected an object")
    if answer.get("status", "ok") != "ok":
        raise MalformedAnswer(f"the answer's status is {str(answer.get('status'))[:40]!r}, expected 'ok'")
    kind = answer.get("message-type", message_type)
    if kind != message_type:
        raise MalformedAnswer(f"message-type is {str(kind)[:40]!r}, expected {message_type!r}")
    message = answer.get("message")
    if not isinstance(message, dict):
        raise MalformedAnswer(f"message is {_kind(message)}, expected an object")
    return message


def work_message(answer, chars: int = 300, most: int = 100) -> dict:
    """The work of a /works/{doi} answer; MalformedAnswer when the answer is not one."""
    return work_item(_message(answer, "work"), chars, most)


def work_list(answer, rows: int, chars: int = 300, most: int = 100) -> list[dict]:
    """The items of a search answer, at most `rows` (the rows asked); MalformedAnswer when not a work-list."""
    items = _message(answer, "work-list").get("items")
    if not isinstance(items, list):
        raise MalformedAnswer(f"message.items is {_kind(items)}, expected a list")
    return [work_item(item, chars, most) for item in items[:rows]]
