"""The layers hold: every package imports only the ones below it (the import-linter contracts in pyproject.toml),
so `make test` fails, not only CI's lint step, when a change makes core import a domain package or participants
import funding."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_the_contract_states_the_layers_from_the_project_down_to_core():
    layers = _contracts()["layers"]["layers"]
    order = [layer.split()[0].strip("()") for layer in layers]
    assert order[0] == "settings" and order[-1] == "core"
    assert order.index("billing") < order.index("funding") < order.index("contributions") \
        < order.index("participants") < order.index("accounts") < order.index("regions")
    # The file import reads files for every domain package (statements and BPJS lists for billing): above them all,
    # and none of them imports it.
    assert order.index("imports") < order.index("billing")
    beside = _contracts()["imports-beside"]["source_modules"]
    assert "jamsosdesa.funding" in beside and "jamsosdesa.billing" in beside


def test_no_package_imports_a_layer_above_it():
    linter = Path(sys.executable).with_name("lint-imports")
    command = str(linter) if linter.exists() else shutil.which("lint-imports")
    assert command, "import-linter is not installed: pip install -e '.[dev]'"
    run = subprocess.run([command, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_core_access_holds_only_the_generic_machinery():
    """Participants' and funding's rules live in their packages; core.access does not hand them out under the
    old names (a caller importing them from core would hide which package decides)."""
    from jamsosdesa.core import access

    for moved in ("scope_participants", "participant_scope_q", "can_register_in", "can_change_participant",
                  "changeable_participant_ids", "scheme_scope_q", "scope_schemes", "can_create_scheme",
                  "can_manage_scheme", "can_enrol_into", "can_end_enrolment"):
        assert not hasattr(access, moved), moved
