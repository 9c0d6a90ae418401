"""The error tree of the outcomes maths: bad survival data names the field, row and value."""


class OutcomesError(ValueError):
    """Base of every error `limbsalvage.core.outcomes` raises on its input."""


class InvalidSurvivalData(OutcomesError):
    """An input array holds a value the estimator cannot use; names the field and the position."""

    def __init__(self, field: str, detail: str, *, index: int | None = None) -> None:
        self.field = field
        self.index = index
        self.detail = detail
        where = f"{field}[{index}]" if index is not None else field
        super().__init__(f"{where}: {detail}")


class NotFitted(OutcomesError):
    """A fitted value was read before `fit()` was called."""

    def __init__(self, estimator: str) -> None:
        super().__init__(f"{estimator} is not fitted yet; call fit() first")
