"""`make run` writes nothing outside var/: the embedded broker's three folders (kombu's
control folder included, which otherwise lands in ./control), the beat schedule and the
match weights all live under VAR_DIR."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SHOW = """
import json
from django.conf import settings
options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
print(json.dumps([
    str(settings.VAR_DIR),
    options["data_folder_in"], options["data_folder_out"], options["processed_folder"],
    options["control_folder"], settings.CELERY_BEAT_SCHEDULE_FILENAME, settings.MATCH_WEIGHTS_FILE,
]))
"""


def test_the_embedded_broker_beat_and_weights_write_under_var(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "VAR_DIR": str(tmp_path / "var")}
    env["DJANGO_SETTINGS_MODULE"] = "encompass.settings"
    code = f"import django; django.setup()\n{SHOW}"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    var, *paths = json.loads(out)
    assert var == str(tmp_path / "var")
    assert all(Path(p).is_relative_to(var) for p in paths), paths
    assert not (ROOT / "control").exists()
