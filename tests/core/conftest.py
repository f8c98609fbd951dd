from tests.core.plugin_fixture import demo_plugin  # noqa: F401
