"""HTTP routes of the matcher service, one router per concern."""
