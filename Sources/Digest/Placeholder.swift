public enum DigestPlaceholder {}
