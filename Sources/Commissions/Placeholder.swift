public enum CommissionsPlaceholder {}
