locals {
  π     = 3.14
  name  = "café ☕"
}
