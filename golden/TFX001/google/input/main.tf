locals {
  projects = toset(["alpha", "beta"])
}

provider "google" {
  for_each = local.projects
  project  = "corp-${each.key}"
  region   = "europe-west1"
}

resource "google_storage_bucket" "state" {
  for_each = local.projects
  provider = google[each.key]
  name     = "state-${each.key}"
  location = "EU"
}
