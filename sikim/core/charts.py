"""Bar charts drawn on the server: `core/_bar_chart.html` renders a `Chart` as inline SVG bars with
the numbers as text beside them (no JavaScript; readable at 360 px). Views build the rows."""

from dataclasses import dataclass, field


@dataclass
class Bar:
    name: str
    value: int
    colour: str
    key: str = ""
    percent: int = 0


@dataclass
class ChartRow:
    label: str
    bars: list[Bar]
    href: str = ""
    key: str = ""


@dataclass
class Chart:
    title: str
    rows: list[ChartRow] = field(default_factory=list)

    def scaled(self) -> "Chart":
        """Bar lengths in whole percent of the largest value (at least 1 for anything above 0)."""
        largest = max((bar.value for row in self.rows for bar in row.bars), default=0)
        for row in self.rows:
            for bar in row.bars:
                bar.percent = max(1, round(100 * bar.value / largest)) if bar.value and largest else 0
        return self
