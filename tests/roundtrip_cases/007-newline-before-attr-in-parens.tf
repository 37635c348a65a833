locals {
  a = try(
    var.b
    .c, null)
}
