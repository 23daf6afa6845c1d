# A MariaDB instance tuned through a configuration group.

resource "random_password" "shop" {
  length  = 24
  special = false
}

resource "database_configuration" "tuned" {
  name      = "shop-tuned"
  datastore = { type = "mariadb", version = "10.11" }
  values = {
    max_connections = 200
    wait_timeout    = 600
  }
}

resource "database_instance" "shop" {
  name          = "shop"
  datastore     = { type = "mariadb", version = "10.11" }
  flavor        = "db.small"
  volume        = { size = 1 }
  configuration = database_configuration.tuned.id

  database "shop" {
    charset   = "utf8mb4"
    collation = "utf8mb4_unicode_ci"
  }

  user "shop" {
    password  = random_password.shop.result
    host      = "%"
    databases = ["shop"]
  }
}

output "shop_uri" {
  value     = database_instance.shop.connection_uri
  sensitive = true
}
