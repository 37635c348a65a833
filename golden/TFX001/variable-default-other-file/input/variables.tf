variable "regions" {
  type    = set(string)
  default = ["us-east-1", "ap-southeast-2"]
}
