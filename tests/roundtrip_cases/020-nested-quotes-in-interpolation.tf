locals {
  a = "${var.m["key"]}-${lookup(var.m, "k", "${var.d}")}"
}
