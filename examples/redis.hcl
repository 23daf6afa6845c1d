# A Redis instance used as a cache, with one ACL user for the application.

resource "random_password" "cache" {
  length  = 32
  special = false
}

resource "database_instance" "cache" {
  name      = "cache"
  datastore = { type = "redis", version = "7" }
  flavor    = "db.small"
  volume    = { size = 1 }

  user "app" {
    password = random_password.cache.result
  }
}

output "cache_host" {
  value = database_instance.cache.host
}

output "cache_port" {
  value = database_instance.cache.port
}

output "cache_uri" {
  value     = database_instance.cache.connection_uri
  sensitive = true
}
