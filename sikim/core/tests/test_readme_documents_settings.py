"""Every environment variable config/settings.py reads is documented in both READMEs."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_environment_variable_is_in_the_readmes():
    source = (ROOT / "config" / "settings.py").read_text()
    variables = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source))
    assert {"DATABASE_URL", "REDIS_URL", "SIKIM_SECRET_KEY"} <= variables
    for readme in ("README.md", "README.en.md"):
        text = (ROOT / readme).read_text()
        missing = sorted(name for name in variables if f"`{name}`" not in text)
        assert not missing, f"{readme} does not document {missing}"
