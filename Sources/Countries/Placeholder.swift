public enum CountriesPlaceholder {}
