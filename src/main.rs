use std::process::ExitCode;

use clap::Parser;
use commentary_api::commands;
use commentary_api::config::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    commentary_api::telemetry::init(cli.serve.log_format);
    let result = match &cli.command {
        None | Some(Command::Serve) => commands::serve(&cli),
        Some(Command::Import(args)) => commands::import(&cli, args),
        Some(Command::Openapi) => commands::print_openapi(),
        Some(Command::Reindex) => commands::reindex(&cli),
        Some(Command::GenCorpus(args)) => commands::gen_corpus(args),
        Some(Command::Keys(command)) => commands::keys(&cli, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
