"""Wheel builds carry the top-level templates/ and static/ folders inside the ``project``
package (project/settings.py looks there when they are not beside manage.py)."""

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # a checkout uses the folders in place
            return
        for name in ("templates", "static"):
            shutil.copytree(name, Path(self.build_lib) / "project" / name, dirs_exist_ok=True)
