locals {
  a = { for c in var.l :
    (c)
    => c }
}
