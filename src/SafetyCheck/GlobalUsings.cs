global using System.CommandLine;
global using Microsoft.Extensions.Options;
