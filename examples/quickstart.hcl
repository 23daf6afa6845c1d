# A PostgreSQL instance with one database and one application user.
# With no provider block, dbstack uses the embedded local cloud.

variable "app_password" {
  type        = string
  sensitive   = true
  description = "Password of the application user"
  default     = "change-me-please"
}

resource "database_instance" "orders" {
  name      = "orders"
  datastore = { type = "postgresql", version = "15" }
  flavor    = "db.small"
  volume    = { size = 1 }

  database "orders" {
    charset = "UTF8"
  }

  user "app" {
    password  = var.app_password
    databases = ["orders"]
  }
}

output "orders_host" {
  value = database_instance.orders.host
}

output "orders_port" {
  value = database_instance.orders.port
}

output "orders_uri" {
  value     = database_instance.orders.connection_uri
  sensitive = true
}
