"""Citations and versioned tables: every published table carries where it came from."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A published source; `locator` points at the table, figure or page used."""

    citation: str
    doi: str | None = None
    url: str | None = None

    def cite(self, locator: str = "") -> str:
        """The citation as one line, with the table or figure when given."""
        text = self.citation
        if locator:
            text += f", {locator}"
        if self.doi:
            text += f". doi:{self.doi}"
        elif self.url:
            text += f". {self.url}"
        return text


@dataclass(frozen=True)
class Table:
    """A published table or set of cut-offs, versioned, with how its transcription was checked."""

    table_id: str
    version: str
    source: Source
    locator: str
    checked: str

    @property
    def ref(self) -> str:
        """`table_id@version`, the stable name stored beside results that used this table."""
        return f"{self.table_id}@{self.version}"

    def cite(self) -> str:
        """The source with this table's locator."""
        return self.source.cite(self.locator)
