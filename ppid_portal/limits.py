"""Length caps for free text that the database would take unbounded (TextField) but nobody should send.

A CharField's cap is its model's max_length (a longer value would overflow the column on PostgreSQL: a 500);
text columns get these, so an over-long value is a 400 with a message, never a megabyte row in the register."""

# Reasons, notes, consequence tests, addresses, the details of a request: a few pages of text at most.
TEXT_MAX_LENGTH = 10_000
# A full-text search query (the library's form has the same cap).
SEARCH_QUERY_MAX_LENGTH = 200
# django.contrib.auth's User.email and the models' EmailField (254, RFC 5321's path limit).
EMAIL_MAX_LENGTH = 254
# django.contrib.auth's User.username.
USERNAME_MAX_LENGTH = 150
