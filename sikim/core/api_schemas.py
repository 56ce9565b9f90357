"""Schema pieces shared by every app's API."""

from typing import Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator


class JsonObject(Schema):
    """An input schema that accepts only a JSON object.

    Django Ninja's schemas also read attributes of arbitrary objects, so a string or a list where
    an object belongs would otherwise pass with every field at its default: `"segments": "umkm"`
    would silently mean "no filter", and a publish body `[]` would mean "now".
    """

    @model_validator(mode="before")
    @classmethod
    def _must_be_an_object(cls, value: Any) -> Any:
        raw = value._obj if isinstance(value, DjangoGetter) else value
        if not isinstance(raw, dict):
            raise ValueError("must be a JSON object")
        return value
