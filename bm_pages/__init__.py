# Registers the <db_id:...> URL converter before any URL pattern of the apps is built.
from . import converters  # noqa: F401
