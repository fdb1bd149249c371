[inputs: ["{mix,.formatter}.exs", "{bench,bridge,config,lib,test}/**/*.{ex,exs}"]]
