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
