locals {
  a = (
    var.b
    # why
    ? 1
    : 2
  )
}
