# A Redis instance used as a cache.

resource "database_instance" "cache" {
  name      = "cache"
  datastore = { type = "redis", version = "7" }
  flavor    = "db.small"
  volume    = { size = 1 }
}

output "cache_host" {
  value = database_instance.cache.host
}

output "cache_port" {
  value = database_instance.cache.port
}
