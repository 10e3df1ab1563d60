"""`make bench`: seed a benchmark database, run the portal on gunicorn, measure it against its floors."""
