"""Files in and out, without writing to the database: start lists, skaters' bests and official result lists read
from CSV (every bad line named), what an import would change (the preview), and the results export."""
