locals {
  a = var.l[*].id
  b = var.l.*.id
  c = { for k, v in var.m : v => k... }
  d = [for x in var.l : x if x != null]
  e = max(var.l...)
  f = var.l.0.name
}
