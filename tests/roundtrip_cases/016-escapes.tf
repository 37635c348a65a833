locals {
  a = "$${not_interp} %%{not_directive}"
  b = "tab\t quote\" \u00e9 \U0001F600"
}
