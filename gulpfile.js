const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles only TypeScript; n8n loads node and credential icons from dist next to the code.
task('build:icons', copyIcons);

function copyIcons() {
	const nodeIcons = src(path.resolve('nodes', '**', '*.{png,svg}'), { encoding: false });
	const nodeJson = src(path.resolve('nodes', '**', '*.node.json'));
	nodeIcons.pipe(dest(path.resolve('dist', 'nodes')));
	nodeJson.pipe(dest(path.resolve('dist', 'nodes')));
	return src(path.resolve('credentials', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'credentials')),
	);
}
