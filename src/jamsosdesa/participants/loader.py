"""Reference data shipped with the package: the 89 occupation codes."""

import csv
import io
from importlib import resources


def occupation_rows() -> list[tuple[int, str]]:
    raw = (resources.files("jamsosdesa.participants") / "data" / "pekerjaan.csv").read_bytes()
    return [(int(r["code"]), r["name"]) for r in csv.DictReader(io.StringIO(raw.decode("utf-8")))]


def occupations_load(model=None) -> int:
    """Insert or update all occupation codes; `model` lets a migration pass its historical model."""
    if model is None:
        from .models import Occupation as model
    model.objects.bulk_create([model(code=code, name=name) for code, name in occupation_rows()],
                              update_conflicts=True, unique_fields=["code"], update_fields=["name"])
    return model.objects.count()
