"""One router per area of the REST API (networks, training, options) and the page."""
