"""Reminders: rules that decide what is due, the paced sender, and the scheduler that sends it."""
