"""Until the clerk's window lands, `cchc-desktop` with no arguments opens a window that says
so in Vietnamese and points to the command line."""


def test_placeholder_window_says_what_is_there(qtbot):
    from cchc_desktop.gui.app import build_window

    window = build_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    text = window.centralWidget().text()
    assert "đang được xây dựng" in text and "cchc-desktop --help" in text
    assert window.windowTitle() == "CCHC Desktop"
