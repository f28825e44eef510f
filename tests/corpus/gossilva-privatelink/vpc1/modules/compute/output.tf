output "vpc1_nlb" {
  value = aws_lb.vpc1_nlb.arn
}