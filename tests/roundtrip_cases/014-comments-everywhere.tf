/* block
   comment */
locals { # after brace
  a = [ # after bracket
    1, // slash
    /* inline */ 2,
  ]
  b = { /* c */ x = 1 } # trailing
}
# last, no newline