resource "aws_vpc_endpoint" "secrets" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.secretsmanager"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = aws_secretsmanager_secret.db.arn
    }]
  })
}
