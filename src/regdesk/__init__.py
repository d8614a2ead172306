"""regdesk: the registration system of a telecom and internet service provider."""
