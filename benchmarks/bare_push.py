"""Reference for "open a screen": a bare Textual app that pushes a Header + DataTable
(60 rows, like one queue page) + Footer screen on the key e. Measured beside the
desk's queue so the screen-open time has a yardstick from the same run."""
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static


class Table(Screen):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("编号", "群众", "事项", "方式", "状态", "应办结", "经办人")
        for i in range(60):
            table.add_row(f"2026-{i:06d}", "张三丰", "合作医疗报销", "代着办", "办理中",
                          "2026-11-23", "王建国")
        table.focus()


class BarePush(App):
    BINDINGS = [("ctrl+q", "quit", "Quit"), ("e", "open", "Open")]

    def compose(self):
        yield Header()
        yield Static("已超期")
        yield Footer()

    def action_open(self):
        self.push_screen(Table())


if __name__ == "__main__":
    BarePush().run()
