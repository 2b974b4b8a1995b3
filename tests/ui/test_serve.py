"""The launcher's printed addresses (issue 8): students get the network address only when it is served."""

from linclass.ui.serve import addresses, command


def test_every_address_gives_the_network_one():
    lines, shown = addresses(None, 8501, "192.168.1.20")
    assert lines == ["linclass: open http://localhost:8501 on this machine",
                     "linclass: students on this network open http://192.168.1.20:8501"]  # fmt: skip
    assert shown == "192.168.1.20"
    assert "--browser.serverAddress" in command(8501, [], shown)


def test_a_loopback_server_does_not_promise_a_network_address():
    # Found (review): with --server.address 127.0.0.1 it still printed an unreachable network address.
    lines, shown = addresses("127.0.0.1", 8599, "192.0.2.2")
    assert lines == ["linclass: open http://127.0.0.1:8599 on this machine"] and shown == "127.0.0.1"


def test_offline_it_says_localhost():
    lines, shown = addresses(None, 8501, None)
    assert len(lines) == 1 and shown == "localhost"
