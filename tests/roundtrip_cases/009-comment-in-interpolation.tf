locals {
  a = "${
    # c
    var.b
  }"
}
