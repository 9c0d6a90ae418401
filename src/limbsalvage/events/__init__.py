"""The outcome timeline (events from which endpoints are derived) and follow-up visits."""
