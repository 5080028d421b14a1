document.getElementById('app')!.textContent = 'Prøvesal';
