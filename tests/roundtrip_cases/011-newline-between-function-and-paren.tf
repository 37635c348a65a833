locals {
  a = [try
    (var.b, var.c)]
}
